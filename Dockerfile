# syntax=docker/dockerfile:1
# Builds the infra-operator image: a static binary on distroless, run as the
# distroless "nonroot" user (65532).
FROM golang:1.26 AS builder
ARG TARGETOS
ARG TARGETARCH
WORKDIR /workspace
ENV GOFLAGS=-mod=mod
# Dependencies first, so that source edits do not invalidate the module cache layer.
COPY go.mod go.sum ./
RUN go mod download
COPY cmd/ cmd/
COPY api/ api/
COPY internal/ internal/
# The binary embeds the CRDs and the samples (for `infra-operator local`).
COPY config/crd/ config/crd/
COPY config/samples/ config/samples/
RUN CGO_ENABLED=0 GOOS=${TARGETOS:-linux} GOARCH=${TARGETARCH} \
    go build -trimpath -ldflags='-s -w' -o /out/infra-operator ./cmd/infra-operator

FROM gcr.io/distroless/static:nonroot
WORKDIR /
COPY --from=builder /out/infra-operator /infra-operator
USER 65532:65532
ENTRYPOINT ["/infra-operator"]
CMD ["run"]
