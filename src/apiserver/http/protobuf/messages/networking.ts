/**
 * Message table: networking.k8s.io/v1 (k8s.io/api/networking/v1/generated.proto): Ingress, IngressClass.
 * Fact table. Field numbers, JSON names,
 * pointer-ness and omitempty are upstream facts (Kubernetes 1.33); see ../README.md for how they were checked.
 */
import type { MessageTable } from '../schema.js'

/** networking/v1 messages. */
export const networkingV1Messages: MessageTable = {
  Ingress: {
    1: 'metadata ObjectMeta',
    2: 'spec IngressSpec',
    3: 'status IngressStatus',
  },
  IngressClass: {
    1: 'metadata ObjectMeta',
    2: 'spec IngressClassSpec',
  },
  IngressSpec: {
    4: 'ingressClassName string!',
    1: 'defaultBackend IngressBackend',
    2: 'tls []IngressTLS',
    3: 'rules []IngressRule',
  },
  IngressStatus: {
    1: 'loadBalancer IngressLoadBalancerStatus',
  },
  IngressClassSpec: {
    1: 'controller string',
    2: 'parameters IngressClassParametersReference',
  },
  IngressBackend: {
    4: 'service IngressServiceBackend',
    3: 'resource TypedLocalObjectReference',
  },
  IngressTLS: {
    1: 'hosts []string',
    2: 'secretName string',
  },
  IngressRule: {
    1: 'host string',
    2: '...IngressRuleValue',
  },
  IngressLoadBalancerStatus: {
    1: 'ingress []IngressLoadBalancerIngress',
  },
  IngressClassParametersReference: {
    1: 'apiGroup string!',
    2: 'kind string!',
    3: 'name string!',
    4: 'scope string!',
    5: 'namespace string!',
  },
  IngressServiceBackend: {
    1: 'name string!',
    2: 'port ServiceBackendPort',
  },
  IngressRuleValue: {
    1: 'http HTTPIngressRuleValue',
  },
  IngressLoadBalancerIngress: {
    1: 'ip string',
    2: 'hostname string',
    4: 'ports []IngressPortStatus',
  },
  ServiceBackendPort: {
    1: 'name string',
    2: 'number int32',
  },
  HTTPIngressRuleValue: {
    1: 'paths []HTTPIngressPath',
  },
  IngressPortStatus: {
    1: 'port int32!',
    2: 'protocol string!',
    3: 'error string!',
  },
  HTTPIngressPath: {
    1: 'path string',
    3: 'pathType string!',
    2: 'backend IngressBackend',
  },
}
