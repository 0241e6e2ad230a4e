/** YAML text from an object: values are serialized, never pasted, so none can break the document. */
import { Document, isScalar } from 'yaml';

/** `version: 0.0` stays `0.0` (AppSpec wants it written so); everything else as `yaml` writes it. */
export function toYaml(obj: Record<string, unknown>): string {
  const doc = new Document(obj);
  const version = doc.get('version', true);
  if (isScalar(version) && typeof version.value === 'number') version.minFractionDigits = 1;
  return doc.toString({ lineWidth: 0 });
}
