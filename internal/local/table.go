package local

import (
	"cmp"
	"context"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"sigs.k8s.io/controller-runtime/pkg/client"

	"github.com/runner-codes/infra-operator/api/v1alpha1"
)

// tableRefresh is how often the APIGateway table is looked at; it is printed
// only when it differs from the last one, so logs between stay readable.
const tableRefresh = 2 * time.Second

// showGateways prints the APIGateway table to out each time it changes,
// until ctx ends. reader is the manager's cache, so looking costs nothing.
func showGateways(ctx context.Context, reader client.Reader, out io.Writer) {
	ticker := time.NewTicker(tableRefresh)
	defer ticker.Stop()
	shown := ""
	for {
		var gateways v1alpha1.APIGatewayList
		if err := reader.List(ctx, &gateways); err == nil {
			if table := gatewayTable(gateways.Items); table != shown {
				fmt.Fprintf(out, "\nAPIGateways at %s:\n%s", time.Now().Format(time.TimeOnly), table)
				shown = table
			}
		}
		select {
		case <-ctx.Done():
			return
		case <-ticker.C:
		}
	}
}

// gatewayTable renders gateways as kubectl would, sorted by namespace and name.
func gatewayTable(gateways []v1alpha1.APIGateway) string {
	var table strings.Builder
	writer := tabwriter.NewWriter(&table, 0, 4, 2, ' ', 0)
	fmt.Fprintln(writer, "NAMESPACE\tNAME\tPROTOCOL\tREADY\tAPI-ID\tENDPOINT")
	if len(gateways) == 0 {
		fmt.Fprintln(writer, "(none)\t\t\t\t\t")
	}
	for _, gw := range sortedGateways(gateways) {
		fmt.Fprintf(writer, "%s\t%s\t%s\t%s\t%s\t%s\n", gw.Namespace, gw.Name,
			orDash(string(cmp.Or(gw.Status.ProtocolType, gw.Spec.ProtocolType))), strconv.FormatBool(gw.Status.Ready),
			orDash(gw.Status.APIID), orDash(gw.Status.APIEndpoint))
	}
	writer.Flush()
	return table.String()
}

func sortedGateways(gateways []v1alpha1.APIGateway) []v1alpha1.APIGateway {
	sorted := append([]v1alpha1.APIGateway(nil), gateways...)
	key := func(gw v1alpha1.APIGateway) string { return gw.Namespace + "/" + gw.Name }
	slices.SortFunc(sorted, func(a, b v1alpha1.APIGateway) int { return strings.Compare(key(a), key(b)) })
	return sorted
}

func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}
