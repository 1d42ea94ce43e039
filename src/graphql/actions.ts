/**
 * The mutations' common path, whatever the provider: the switch (`actions.enabled`), the role and
 * the sources of the caller, the input checked before any upstream call (the ID, the modes its
 * provider can do, the remark), the idempotency key, one audit line per call and the metrics. The
 * provider module only speaks to its upstream (`SourceActions`).
 */
import { GraphQLError } from 'graphql';
import { BadInputError, CodedError } from '../core/errors.js';
import type { NodeRef } from '../core/ids.js';
import { IDEMPOTENCY_KEY, type IdempotencyStore, type StoredOutcome } from '../core/idempotency.js';
import type { BackupCommon } from '../core/models.js';
import type { ActionOutcome, BackupMode, SourceActions } from '../core/provider.js';
import type { Operation } from '../fleet/fleet.js';
import { log } from '../lib/log.js';
import { modelFromJson, modelToJson } from '../lib/model-json.js';
import type { Principal } from './auth.js';
import { known } from './errors.js';

export type ActionName = 'startBackup' | 'cancelBackup' | 'deleteBackup';
export type ActionOutcomeLabel = 'succeeded' | 'failed' | 'refused' | 'replayed';

export interface StartBackupPayloadModel {
  clientMutationId: string | null;
  /** Resolved when selected (`node`): a payload costs no read of its target unless asked. */
  targetId: string;
  backups: BackupCommon[];
  replayed: boolean;
}
export interface CancelBackupPayloadModel {
  clientMutationId: string | null;
  targetId: string;
  backup: BackupCommon | null;
}
export interface DeleteBackupPayloadModel {
  clientMutationId: string | null;
  deletedBackupId: string;
  targetId: string;
}

export interface ActionServiceOptions {
  enabled: boolean;
  idempotency: IdempotencyStore;
  /** Counts each call (`backupql_actions_total`). */
  count?: (action: ActionName, source: string, provider: string, outcome: ActionOutcomeLabel) => void;
  /** Told of each action that went through (the live pollers look at the source again at once). */
  acted?: (source: string) => void;
}

const REMARK_MAX = 256;

export class ActionService {
  constructor(private readonly options: ActionServiceOptions) {}

  /** Whether this principal may call the mutations at all (`Viewer.canOperate`). */
  canOperate(principal: Principal): boolean {
    return this.options.enabled && principal.role === 'operate';
  }

  async startBackup(
    op: Operation,
    principal: Principal,
    input: { target: string; mode?: BackupMode | null; remark?: string | null; idempotencyKey?: string | null; clientMutationId?: string | null },
  ): Promise<StartBackupPayloadModel> {
    const mode = input.mode ?? 'FULL';
    const audit: AuditLine = { action: 'startBackup', principal, requestId: op.requestId, target: input.target, mode };
    if (input.idempotencyKey !== undefined && input.idempotencyKey !== null) audit.idempotencyKey = input.idempotencyKey;
    return this.run(op, audit, async () => {
      const { ref, actions } = this.resolve(op, principal, input.target, 'input.target');
      const able = actions?.abilities(ref).start ?? [];
      if (able.length === 0)
        throw new BadInputError(`A ${ref.type} cannot be backed up: startBackup takes an ObTenant, ObCluster, DcsInstance or RdsInstance.`, 'input.target');
      if (!able.includes(mode)) throw new BadInputError(`${mode} backups cannot be started on a ${ref.type} (it can do ${able.join(', ')}).`, 'input.mode');
      const remark = checkRemark(input.remark);
      const key = input.idempotencyKey;
      if (key !== undefined && key !== null && !IDEMPOTENCY_KEY.test(key)) {
        throw new BadInputError('`idempotencyKey` must be 1..128 characters of A-Z a-z 0-9 . _ : -.', 'input.idempotencyKey');
      }
      const start = async (): Promise<StartBackupPayloadModel> => {
        const outcome = await actions!.start(ref, { mode, remark });
        this.options.acted?.(ref.source);
        return { clientMutationId: input.clientMutationId ?? null, targetId: outcome.targetId, backups: outcome.backups, replayed: false };
      };
      if (key === undefined || key === null) return { result: await start(), source: ref.source };

      const claim = await this.options.idempotency.claim(principal.name, key, { target: input.target, mode, remark });
      if (claim.kind === 'replay') {
        audit.replayed = true;
        return { result: replay(claim.outcome, input.clientMutationId ?? null), source: ref.source };
      }
      try {
        const result = await start();
        await claim.settle({ ok: true, payload: modelToJson({ targetId: result.targetId, backups: result.backups }) });
        return { result, source: ref.source };
      } catch (error) {
        const mapped = known(error);
        await claim.settle(
          mapped
            ? { ok: false, message: mapped.message, extensions: { ...mapped.extensions } }
            : { ok: false, message: 'Unexpected error.', extensions: { code: 'INTERNAL_SERVER_ERROR' } },
        );
        throw error;
      }
    });
  }

  cancelBackup(op: Operation, principal: Principal, input: { target: string; clientMutationId?: string | null }): Promise<CancelBackupPayloadModel> {
    const audit: AuditLine = { action: 'cancelBackup', principal, requestId: op.requestId, target: input.target };
    return this.run(op, audit, async () => {
      const { ref, actions } = this.resolve(op, principal, input.target, 'input.target');
      if (!actions?.abilities(ref).cancel) {
        throw new BadInputError(
          `A ${ref.type}'s backups cannot be cancelled: cancelBackup takes an ObTenant or ObCluster (DCS and RDS cannot cancel a backup).`,
          'input.target',
        );
      }
      const outcome: ActionOutcome = await actions.cancel(ref);
      this.options.acted?.(ref.source);
      return {
        result: { clientMutationId: input.clientMutationId ?? null, targetId: outcome.targetId, backup: outcome.backups[0] ?? null },
        source: ref.source,
      };
    });
  }

  deleteBackup(op: Operation, principal: Principal, input: { id: string; clientMutationId?: string | null }): Promise<DeleteBackupPayloadModel> {
    const audit: AuditLine = { action: 'deleteBackup', principal, requestId: op.requestId, target: input.id };
    return this.run(op, audit, async () => {
      const { ref, actions } = this.resolve(op, principal, input.id, 'input.id');
      if (!actions?.abilities(ref).delete)
        throw new BadInputError(`A ${ref.type} cannot be deleted: deleteBackup takes a DcsBackup or an RdsBackup.`, 'input.id');
      const outcome = await actions.delete(ref);
      this.options.acted?.(ref.source);
      return { result: { clientMutationId: input.clientMutationId ?? null, deletedBackupId: input.id, targetId: outcome.targetId }, source: ref.source };
    });
  }

  /** The switch, the role, the ID and the caller's sources, in that order; nothing is called upstream. */
  private resolve(op: Operation, principal: Principal, id: string, argumentName: string): { ref: NodeRef; actions: SourceActions | undefined } {
    if (!this.options.enabled) throw new CodedError('FORBIDDEN', 'Actions are off: set `actions.enabled: true` in the configuration to allow them.');
    if (principal.role !== 'operate') throw new CodedError('FORBIDDEN', "This credential's role is read: mutations need the operate role.");
    const ref = op.fleet.codec.decode(id, argumentName);
    if (!op.fleet.get(ref.source)) throw new BadInputError(`\`${argumentName}\` names no configured source.`, argumentName);
    const session = op.session(ref.source);
    if (!session) throw new CodedError('FORBIDDEN', `This credential may not act on source "${ref.source}".`);
    return { ref, actions: session.actions };
  }

  /** Runs one action: its audit line and its count, whatever the outcome. */
  private async run<T>(op: Operation, audit: AuditLine, action: () => Promise<{ result: T; source: string }>): Promise<T> {
    let source = sourceOf(audit.target);
    const provider = () => op.fleet.get(source)?.config.provider ?? 'unknown';
    try {
      const { result, source: actedOn } = await action();
      source = actedOn;
      const outcome = audit.replayed ? 'replayed' : 'succeeded';
      writeAudit(audit, outcome);
      this.options.count?.(audit.action, source, provider(), outcome);
      return result;
    } catch (error) {
      const mapped = error instanceof GraphQLError ? { message: error.message, extensions: error.extensions } : known(error);
      const raw = mapped?.extensions['code'];
      const code = typeof raw === 'string' ? raw : 'INTERNAL_SERVER_ERROR';
      const outcome =
        code === 'BAD_USER_INPUT' || code === 'FORBIDDEN' || code === 'CONFLICT' || code === 'UNAVAILABLE' ? 'refused' : audit.replayed ? 'replayed' : 'failed';
      writeAudit(audit, outcome, code);
      this.options.count?.(audit.action, source, provider(), outcome);
      throw error;
    }
  }
}

interface AuditLine {
  action: ActionName;
  principal: Principal;
  requestId: string;
  target: string;
  mode?: BackupMode;
  idempotencyKey?: string;
  replayed?: boolean;
}

/** The audit lines of a mutation refused whole before it ran (the role check of `useRoles`). */
export function auditRoleRefusal(principal: Principal, actions: readonly string[], requestId: string | undefined): void {
  for (const action of actions) {
    log.info(
      { audit: { action, requestId, who: principal.name, via: principal.via, role: principal.role, outcome: 'refused', code: 'FORBIDDEN' } },
      `audit: ${action} refused (FORBIDDEN)`,
    );
  }
}

/** One line per call: who, what, on what, and how it ended (never a credential: the principal's name only). */
function writeAudit(line: AuditLine, outcome: ActionOutcomeLabel, code?: string): void {
  const { principal, ...rest } = line;
  log.info(
    { audit: { ...rest, who: principal.name, via: principal.via, role: principal.role, outcome, ...(code ? { code } : {}) } },
    `audit: ${line.action} ${outcome}${code ? ` (${code})` : ''}`,
  );
}

/** The source an ID names, for the metrics of a call refused before its ID was decoded ('unknown' if none). */
function sourceOf(id: string): string {
  try {
    const [, source] = Buffer.from(id, 'base64url').toString('utf8').split(':');
    return source && /^[a-z0-9-]{1,63}$/.test(source) ? source : 'unknown';
  } catch {
    return 'unknown';
  }
}

function checkRemark(remark: string | null | undefined): string | null {
  if (remark === undefined || remark === null) return null;
  // eslint-disable-next-line no-control-regex
  if (remark.length === 0 || remark.length > REMARK_MAX || /[\u0000-\u001f\u007f]/.test(remark)) {
    throw new BadInputError(`\`remark\` must be 1..${REMARK_MAX} characters without control characters.`, 'input.remark');
  }
  return remark;
}

/** The stored outcome of the first call with the key: its payload again, or its error again. */
function replay(outcome: StoredOutcome, clientMutationId: string | null): StartBackupPayloadModel {
  if (!outcome.ok) {
    const code = outcome.extensions['code'];
    throw new CodedError(typeof code === 'string' ? code : 'INTERNAL_SERVER_ERROR', outcome.message, { ...outcome.extensions, replayed: true });
  }
  const stored = modelFromJson<{ targetId: string; backups: BackupCommon[] }>(outcome.payload);
  return { clientMutationId, targetId: stored.targetId, backups: stored.backups, replayed: true };
}
