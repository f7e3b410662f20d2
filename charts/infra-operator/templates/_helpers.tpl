{{/* Chart name, possibly overridden. */}}
{{- define "infra-operator.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/*
Fully qualified name: the release name when it already contains the chart
name (helm install infra-operator ... gives "infra-operator").
*/}}
{{- define "infra-operator.fullname" -}}
{{- if .Values.fullnameOverride }}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- $name := default .Chart.Name .Values.nameOverride }}
{{- if contains $name .Release.Name }}
{{- .Release.Name | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" }}
{{- end }}
{{- end }}
{{- end }}

{{- define "infra-operator.chart" -}}
{{- printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{- end }}

{{- define "infra-operator.selectorLabels" -}}
app.kubernetes.io/name: {{ include "infra-operator.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end }}

{{- define "infra-operator.labels" -}}
helm.sh/chart: {{ include "infra-operator.chart" . }}
{{ include "infra-operator.selectorLabels" . }}
app.kubernetes.io/version: {{ .Values.image.tag | default .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
{{- end }}

{{- define "infra-operator.serviceAccountName" -}}
{{- if .Values.serviceAccount.create }}
{{- default (include "infra-operator.fullname" .) .Values.serviceAccount.name }}
{{- else }}
{{- default "default" .Values.serviceAccount.name }}
{{- end }}
{{- end }}

{{/* The ClusterRole with the controllers' rules; infra-operator-manager for a release named infra-operator. */}}
{{- define "infra-operator.managerRoleName" -}}
{{- printf "%s-manager" (include "infra-operator.fullname" .) | trunc 63 | trimSuffix "-" }}
{{- end }}

{{- define "infra-operator.leaderElection" -}}
{{- if or .Values.leaderElection.enabled (gt (int .Values.replicaCount) 1) }}true{{ end }}
{{- end }}

{{/*
The cluster-scoped resources among the manager's rules. With
watchNamespaces, rules on these stay in the ClusterRole and every other
rule goes to a Role in each watched namespace. The install test checks this
list against the API server's discovery.
*/}}
{{- define "infra-operator.clusterScopedResources" -}}
namespaces clusterawsproviders
{{- end }}

{{/*
infra-operator.rulesFor: the manager's rules (config/rbac/role.yaml, copied
into _manager-rules.tpl) restricted to the resources of one scope, as YAML:
  scope "cluster"     cluster-scoped resources and non-resource URLs
  scope "namespaced"  every other resource
  scope "events"      events only
Call with (dict "root" $ "scope" "...").
*/}}
{{- define "infra-operator.rulesFor" -}}
{{- $clusterScoped := splitList " " (include "infra-operator.clusterScopedResources" .root) -}}
{{- $out := list -}}
{{- range $rule := include "infra-operator.managerRules" .root | fromYamlArray -}}
{{- if $rule.nonResourceURLs -}}
{{- if eq $.scope "cluster" }}{{ $out = append $out $rule }}{{ end -}}
{{- else -}}
{{- $kept := list -}}
{{- range $resource := $rule.resources -}}
{{- $base := first (splitList "/" $resource) -}}
{{- $isCluster := has $base $clusterScoped -}}
{{- if or (and (eq $.scope "cluster") $isCluster) (and (eq $.scope "namespaced") (not $isCluster)) (and (eq $.scope "events") (eq $base "events")) -}}
{{- $kept = append $kept $resource -}}
{{- end -}}
{{- end -}}
{{- if $kept -}}
{{- $out = append $out (set (deepCopy $rule) "resources" $kept) -}}
{{- end -}}
{{- end -}}
{{- end -}}
{{- toYaml $out -}}
{{- end }}
