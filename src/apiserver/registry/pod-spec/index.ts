/**
 * Pod spec defaulting, validation, warnings and printing pieces shared by every kind that
 * embeds a pod spec (pods, pod templates, StatefulSets, Deployments, ReplicaSets).
 * Not a resource itself: the registry does not list this folder. Pure: no I/O.
 */
export { defaultContainer, defaultPodSpec, defaultPodTemplateSpec, defaultPullPolicy, imageTag } from './defaults.js'
export { ageColumn, column, containerColumns, layoutContainerCells, nameColumn } from './printing.js'
export { validateTolerations } from './scheduling.js'
export { type PodValidationOptions, validatePodSpec, validatePodTemplateSpec } from './validate.js'
export { podSpecWarnings } from './warnings.js'
