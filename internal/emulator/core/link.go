package core

// Linker is implemented by a service whose state is shared with another
// service of the same dispatcher (API Gateway's custom domain names belong to
// both apigateway and apigatewayv2). NewDispatcher calls Link on each such
// service with every service it serves, before it loads the state file, so a
// service can find its peers by the interfaces they implement.
type Linker interface {
	Link(services []Service)
}

// linkServices calls Link on every service that is a Linker.
func linkServices(services []Service) {
	for _, svc := range services {
		if linker, ok := svc.(Linker); ok {
			linker.Link(services)
		}
	}
}
