/**
 * The PodTemplate strategy (pkg/registry/core/podtemplate, core/v1): template defaults and
 * validation (ValidatePodTemplate), generation, warnings, and the Name·Containers·Images·Pod
 * Labels printer. Pure: no I/O.
 */
import type { PodTemplate } from '../../../api/pod.js'
import { type FieldError, Path } from '../../../machinery/field-error.js'
import { defaultPodTemplateSpec } from '../pod-spec/defaults.js'
import { column, layoutContainerCells, nameColumn } from '../pod-spec/printing.js'
import { validatePodTemplateSpec } from '../pod-spec/validate.js'
import { podSpecWarnings } from '../pod-spec/warnings.js'
import { semanticEqual } from '../pod-spec/workload.js'
import type { Printer, ResourceStrategy } from '../resource.js'

/** ValidatePodTemplate (ObjectMeta aside); also the update rule. */
export function validatePodTemplate(pt: PodTemplate): FieldError[] {
  return validatePodTemplateSpec(pt.template ?? { spec: { containers: [] } }, Path.root('template'))
}

/** labels.FormatLabels: sorted `k=v` pairs joined by ",", or `<none>`. */
function formatLabels(m: Record<string, string> | undefined): string {
  const keys = Object.keys(m ?? {}).sort()
  return keys.length ? keys.map(k => `${k}=${m![k]}`).join(',') : '<none>'
}

/** printPodTemplate (no Age column upstream). */
export const podTemplatePrinter: Printer<PodTemplate> = {
  columns: [
    nameColumn(),
    column('Containers', 'Names of each container in the template.'),
    column('Images', 'Images referenced by each container in the template.'),
    column('Pod Labels', 'The labels for the pod template.'),
  ],
  cells(pt, _now) {
    const [names, images] = layoutContainerCells(pt.template?.spec?.containers)
    return [pt.metadata.name ?? '', names, images, formatLabels(pt.template?.metadata?.labels)]
  },
}

const warningsFor = (pt: PodTemplate) =>
  podSpecWarnings(pt.template?.spec ?? { containers: [] }, pt.template?.metadata, 'template')

/** The PodTemplate strategy. */
export const strategy: ResourceStrategy<PodTemplate> = {
  group: '',
  version: 'v1',
  kind: 'PodTemplate',
  resource: 'podtemplates',
  singular: 'podtemplate',
  namespaced: true,
  generation: true,
  defaults(pt) {
    if (!pt.template) pt.template = { spec: { containers: [] } }
    defaultPodTemplateSpec(pt.template)
  },
  validate: validatePodTemplate,
  validateUpdate: pt => validatePodTemplate(pt),
  warnings: (pt, old) => (!old || !semanticEqual(pt.template, old.template) ? warningsFor(pt) : []),
  printer: podTemplatePrinter,
}
