"""Family: who may bind, invitations, bindings and their order, monthly limits and what they have used, proxies."""
