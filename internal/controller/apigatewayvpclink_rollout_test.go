package controller

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/runner-codes/infra-operator/api/v1alpha1"
	"github.com/runner-codes/infra-operator/internal/aws/vpclinks"
	"github.com/runner-codes/infra-operator/internal/reconciler/outcome"
)

// The rollout's outcome for a link that is not AVAILABLE, decided before
// any AWS call (the emulator never fails a link, so this is where FAILED
// is seen): PENDING waits, FAILED stalls with AWS's message, and either
// keeps the link integrations use meanwhile.
func TestRolloutOfALinkNotAvailable(t *testing.T) {
	serving := vpclinks.Link{Type: vpclinks.V2, ID: "old111", State: vpclinks.StateAvailable}
	cases := []struct {
		name       string
		state      string
		wantReason string
		stalled    bool
	}{
		{"pending", vpclinks.StatePending, v1alpha1.ReasonProgressing, false},
		{"failed", vpclinks.StateFailed, v1alpha1.ReasonVPCLinkFailed, true},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			obj := &v1alpha1.APIGatewayVPCLink{}
			obj.Status.VPCLinkID = serving.ID
			current := vpclinks.Link{Type: vpclinks.V2, ID: "new222", State: tc.state, StatusMessage: "subnet-0a1b2c3d not found"}
			e := &linkExternal{obj: obj, poll: time.Second, owned: []vpclinks.Link{serving, current}, current: current}
			_, err := e.ReconcileSubresources(context.Background())
			var reason, message string
			if st, ok := outcome.AsStalled(err); ok && tc.stalled {
				reason, message = st.Reason, st.Message
			} else if w, ok := outcome.AsWaiting(err); ok && !tc.stalled {
				reason, message = w.Reason, w.Message
			} else {
				t.Fatalf("outcome %T %v", err, err)
			}
			if reason != tc.wantReason {
				t.Errorf("reason %s, want %s", reason, tc.wantReason)
			}
			for _, want := range []string{"new222", "subnet-0a1b2c3d not found", "integrations keep using VPC link old111"} {
				if !strings.Contains(message, want) {
					t.Errorf("message %q lacks %q", message, want)
				}
			}
			if obj.Status.VPCLinkID != serving.ID || obj.Status.PendingVPCLinkID != current.ID || string(obj.Status.State) != tc.state {
				t.Errorf("status %+v", obj.Status)
			}
		})
	}
}
