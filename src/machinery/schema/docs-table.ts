/** The shape of petset's description tables (descriptions-*.ts). Types only. */

/** Descriptions of one API type: the type itself, its fields, and enum values of string fields. */
export interface TypeDocs {
  about: string
  fields?: Record<string, string>
  enums?: Record<string, string[]>
}

/** Type descriptions keyed by `<group>.<version>.<Type>`, e.g. `apps.v1.StatefulSetSpec`. */
export type DocsTable = Record<string, TypeDocs>
