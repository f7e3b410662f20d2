package lambda

import (
	"errors"
	"io"
	"sync"

	"github.com/runner-codes/infra-operator/internal/emulator/lambdaruntime"
)

// hostKey names one execution environment: a function of one world, with
// the handler and timeout it was registered with, so that a function
// registered again differently gets a new one.
type hostKey struct {
	Account, Region, Name string
	Handler               string
	Timeout               int
}

// hostPool holds one lambdaruntime.Host per function that runs a handler,
// made at its first invocation. Its lock is its own: invocations run
// outside the emulator's state lock.
type hostPool struct {
	logs io.Writer

	mu     sync.Mutex
	hosts  map[hostKey]*lambdaruntime.Host
	closed bool
}

func newHostPool(logs io.Writer) *hostPool {
	return &hostPool{logs: logs, hosts: map[hostKey]*lambdaruntime.Host{}}
}

// host returns the function's environment, starting its Runtime API on
// first use; the handler process starts with the first invocation.
func (p *hostPool) host(t *target) (*lambdaruntime.Host, error) {
	key := hostKey{Account: t.Account, Region: t.Region, Name: t.Name, Handler: t.Handler, Timeout: t.Timeout}
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.closed {
		return nil, lambdaruntime.ErrClosed
	}
	if h := p.hosts[key]; h != nil {
		return h, nil
	}
	h, err := lambdaruntime.Start(lambdaruntime.Config{
		FunctionName: t.Name,
		FunctionARN:  t.arn(),
		Region:       t.Region,
		Command:      []string{t.Handler},
		Timeout:      t.timeout(),
		Logs:         p.logs,
	})
	if err != nil {
		return nil, err
	}
	p.hosts[key] = h
	return h, nil
}

// stopRegistration stops the environments of a registration that is gone
// (in every region when it was registered for every region). Closing a
// Host fails only when closing its listener does, and the function is gone
// either way.
func (p *hostPool) stopRegistration(r Registration) {
	_ = p.stopWhere(func(k hostKey) bool {
		return k.Account == r.Account && k.Name == r.Name && (r.Region == "" || k.Region == r.Region) &&
			k.Handler == r.Handler && k.Timeout == r.Timeout
	})
}

// Close stops every environment; later invocations fail.
func (p *hostPool) Close() error {
	p.mu.Lock()
	p.closed = true
	p.mu.Unlock()
	return p.stopWhere(func(hostKey) bool { return true })
}

func (p *hostPool) stopWhere(match func(hostKey) bool) error {
	p.mu.Lock()
	var stopping []*lambdaruntime.Host
	for key, h := range p.hosts {
		if match(key) {
			stopping = append(stopping, h)
			delete(p.hosts, key)
		}
	}
	p.mu.Unlock()
	var errs []error
	for _, h := range stopping {
		errs = append(errs, h.Close())
	}
	return errors.Join(errs...)
}
