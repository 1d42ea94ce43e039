/**
 * Looking ahead at what an operation selects below a field, so that upstream reads which do not
 * depend on the field's own answer start beside it instead of after it:
 *
 * - `selectedCoordinates`: every `Type.field` selected anywhere below (through fragments); the
 *   sessions use it to start source-wide reads at once (a cluster's backup overview when tenants'
 *   `latestBackup` is asked, an agent's info when `agent` is);
 * - `speculate`: for objects known by their ID alone (`node`, `nodes`), the fields their provider
 *   module declares computable from the ID (an instance's `backups`) are resolved at once with a
 *   stub parent; the operation's loaders keep the reads, so the real resolution, once the object is
 *   known to exist, finds them done. An existence check then costs no round of its own.
 */
import {
  getArgumentValues,
  isAbstractType,
  isInterfaceType,
  isObjectType,
  Kind,
  type FieldNode,
  type GraphQLNamedType,
  type GraphQLObjectType,
  type GraphQLResolveInfo,
  type SelectionSetNode,
  getNamedType,
} from 'graphql';
import type { NodeRef } from '../core/ids.js';

/** Every `Type.field` selected below the current field. */
export function selectedCoordinates(info: GraphQLResolveInfo): Set<string> {
  const found = new Set<string>();
  const seenFragments = new Set<string>();
  const walk = (set: SelectionSetNode | undefined, type: GraphQLNamedType) => {
    if (!set) return;
    for (const selection of set.selections) {
      if (selection.kind === Kind.FIELD) {
        const name = selection.name.value;
        if (name.startsWith('__')) continue;
        found.add(`${type.name}.${name}`);
        const fields = isObjectType(type) || isInterfaceType(type) ? type.getFields() : undefined;
        const def = fields?.[name];
        if (def) walk(selection.selectionSet, getNamedType(def.type));
      } else if (selection.kind === Kind.INLINE_FRAGMENT) {
        const condition = selection.typeCondition ? info.schema.getType(selection.typeCondition.name.value) : type;
        if (condition) walk(selection.selectionSet, condition);
      } else {
        const name = selection.name.value;
        const fragment = info.fragments[name];
        if (!fragment || seenFragments.has(name)) continue;
        seenFragments.add(name);
        const condition = info.schema.getType(fragment.typeCondition.name.value);
        if (condition) walk(fragment.selectionSet, condition);
      }
    }
  };
  const root = getNamedType(info.returnType);
  for (const node of info.fieldNodes) walk(node.selectionSet, root);
  return found;
}

/** The fields selected directly on `type` under the current field (fragments that apply to it included). */
function fieldsOn(info: GraphQLResolveInfo, type: GraphQLObjectType): FieldNode[] {
  const found: FieldNode[] = [];
  const applies = (name: string | undefined) => {
    if (name === undefined || name === type.name) return true;
    const condition = info.schema.getType(name);
    return !!condition && isAbstractType(condition) && info.schema.isSubType(condition, type);
  };
  const walk = (set: SelectionSetNode | undefined, seen: Set<string>) => {
    if (!set) return;
    for (const selection of set.selections) {
      if (selection.kind === Kind.FIELD) found.push(selection);
      else if (selection.kind === Kind.INLINE_FRAGMENT) {
        if (applies(selection.typeCondition?.name.value)) walk(selection.selectionSet, seen);
      } else if (!seen.has(selection.name.value)) {
        seen.add(selection.name.value);
        const fragment = info.fragments[selection.name.value];
        if (fragment && applies(fragment.typeCondition.name.value)) walk(fragment.selectionSet, seen);
      }
    }
  };
  for (const node of info.fieldNodes) walk(node.selectionSet, new Set());
  return found;
}

/** What a provider module says can be resolved from an ID alone, per node type. */
export interface Speculative {
  fields: readonly string[];
  /** The parent those fields' resolvers need, built from the ID's keys. */
  stub(ref: NodeRef): object;
}

/**
 * Starts the reads of the ID-computable fields selected for each ref (see above). Failures are
 * ignored here: the real resolution reports them where they belong.
 */
export function speculate(
  info: GraphQLResolveInfo,
  context: unknown,
  refs: readonly NodeRef[],
  speculativeFor: (type: string) => Speculative | undefined,
): void {
  const byType = new Map<string, FieldNode[]>();
  for (const ref of refs) {
    const spec = speculativeFor(ref.type);
    const type = info.schema.getType(ref.type);
    if (!spec || !isObjectType(type)) continue;
    let fields = byType.get(ref.type);
    if (!fields) byType.set(ref.type, (fields = fieldsOn(info, type).filter((f) => spec.fields.includes(f.name.value))));
    if (fields.length === 0) continue;
    const stub = spec.stub(ref);
    for (const fieldNode of fields) {
      const def = type.getFields()[fieldNode.name.value];
      if (!def?.resolve) continue;
      try {
        const args = getArgumentValues(def, fieldNode, info.variableValues);
        void Promise.resolve(def.resolve(stub, args, context, info)).catch(() => undefined);
      } catch {
        // Bad arguments are the real resolution's to report.
      }
    }
  }
}
