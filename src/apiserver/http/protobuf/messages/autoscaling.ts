/**
 * Message table: autoscaling/v1 (HorizontalPodAutoscaler, Scale) and autoscaling/v2 (HorizontalPodAutoscaler, which
 * kubectl 1.33 `autoscale` sends), from k8s.io/api/autoscaling/{v1,v2}/generated.proto. The v2 messages whose
 * names clash with v1 carry a V2 suffix; CrossVersionObjectReference is identical in both and shared.
 * Fact table. Field numbers, JSON names,
 * pointer-ness and omitempty are upstream facts (Kubernetes 1.33); see ../README.md for how they were checked.
 */
import type { MessageTable } from '../schema.js'

/** autoscaling/v1 and autoscaling/v2 messages. */
export const autoscalingMessages: MessageTable = {
  HorizontalPodAutoscaler: {
    1: 'metadata ObjectMeta',
    2: 'spec HorizontalPodAutoscalerSpec',
    3: 'status HorizontalPodAutoscalerStatus',
  },
  Scale: {
    1: 'metadata ObjectMeta',
    2: 'spec ScaleSpec',
    3: 'status ScaleStatus',
  },
  HorizontalPodAutoscalerSpec: {
    1: 'scaleTargetRef CrossVersionObjectReference',
    2: 'minReplicas int32!',
    3: 'maxReplicas int32!',
    4: 'targetCPUUtilizationPercentage int32!',
  },
  HorizontalPodAutoscalerStatus: {
    1: 'observedGeneration int64!',
    2: 'lastScaleTime Time',
    3: 'currentReplicas int32!',
    4: 'desiredReplicas int32!',
    5: 'currentCPUUtilizationPercentage int32!',
  },
  ScaleSpec: {
    1: 'replicas int32',
  },
  ScaleStatus: {
    1: 'replicas int32!',
    2: 'selector string',
  },
  HorizontalPodAutoscalerV2: {
    1: 'metadata ObjectMeta',
    2: 'spec HorizontalPodAutoscalerSpecV2',
    3: 'status HorizontalPodAutoscalerStatusV2',
  },
  HorizontalPodAutoscalerSpecV2: {
    1: 'scaleTargetRef CrossVersionObjectReference',
    2: 'minReplicas int32!',
    3: 'maxReplicas int32!',
    4: 'metrics []MetricSpec',
    5: 'behavior HorizontalPodAutoscalerBehavior',
  },
  HorizontalPodAutoscalerStatusV2: {
    1: 'observedGeneration int64!',
    2: 'lastScaleTime Time',
    3: 'currentReplicas int32',
    4: 'desiredReplicas int32!',
    // NOTE: 5 currentMetrics (MetricStatus, written by the HPA controller) is not tabled.
    6: 'conditions []HorizontalPodAutoscalerConditionV2',
  },
  CrossVersionObjectReference: {
    1: 'kind string!',
    2: 'name string!',
    3: 'apiVersion string',
  },
  MetricSpec: {
    1: 'type string!',
    2: 'object ObjectMetricSource',
    3: 'pods PodsMetricSource',
    4: 'resource ResourceMetricSource',
    7: 'containerResource ContainerResourceMetricSource',
    5: 'external ExternalMetricSource',
  },
  HorizontalPodAutoscalerBehavior: {
    1: 'scaleUp HPAScalingRules',
    2: 'scaleDown HPAScalingRules',
  },
  HorizontalPodAutoscalerConditionV2: {
    1: 'type string!',
    2: 'status string!',
    3: 'lastTransitionTime Time',
    4: 'reason string',
    5: 'message string',
  },
  ObjectMetricSource: {
    1: 'describedObject CrossVersionObjectReference',
    2: 'target MetricTarget',
    3: 'metric MetricIdentifier',
  },
  PodsMetricSource: {
    1: 'metric MetricIdentifier',
    2: 'target MetricTarget',
  },
  ResourceMetricSource: {
    1: 'name string!',
    2: 'target MetricTarget',
  },
  ContainerResourceMetricSource: {
    1: 'name string!',
    2: 'target MetricTarget',
    3: 'container string!',
  },
  ExternalMetricSource: {
    1: 'metric MetricIdentifier',
    2: 'target MetricTarget',
  },
  HPAScalingRules: {
    3: 'stabilizationWindowSeconds int32!',
    1: 'selectPolicy string!',
    2: 'policies []HPAScalingPolicy',
    4: 'tolerance Quantity',
  },
  MetricTarget: {
    1: 'type string!',
    2: 'value Quantity',
    3: 'averageValue Quantity',
    4: 'averageUtilization int32!',
  },
  MetricIdentifier: {
    1: 'name string!',
    2: 'selector LabelSelector',
  },
  HPAScalingPolicy: {
    1: 'type string!',
    2: 'value int32!',
    3: 'periodSeconds int32!',
  },
}
