// idTags (cards, app users, station passwords) that piles present in Authorize and
// StartTransaction.
import { authorizeTag, type AuthorizationStatus } from '../core/authorization.js';
import type { Clock, IdTag, IdTagStore } from './ports.js';
import { fail, ok, type Result } from './result.js';

// OCPP 1.6 IdToken is CiString20Type: at most 20 characters, case insensitive (§2.2). Tags
// are stored upper-cased so that a card read as "04a1b2" by one pile and "04A1B2" by another is
// one member.
const MAX_ID_TAG = 20;
const normalise = (idTag: string) => idTag.toUpperCase();

export interface IdTagInfo {
  readonly status: AuthorizationStatus;
  readonly expiryDate?: string;
  readonly parentIdTag?: string;
}

export interface IdTagRegistry {
  put(tag: IdTag): Promise<Result<IdTag, 'invalid'>>;
  get(idTag: string): Promise<IdTag | undefined>;
  list(): Promise<readonly IdTag[]>;
  remove(idTag: string): Promise<boolean>;
  /** The OCPP 1.6 IdTagInfo for a tag presented now. */
  authorize(idTag: string): Promise<IdTagInfo>;
}

export function validateIdTag(tag: IdTag): string[] {
  const problems: string[] = [];
  if (tag.idTag.length < 1 || tag.idTag.length > MAX_ID_TAG) problems.push('idTag must be 1 to 20 characters');
  if (tag.status !== 'Accepted' && tag.status !== 'Blocked') problems.push('status must be Accepted or Blocked');
  if (tag.parentIdTag !== null && (tag.parentIdTag.length < 1 || tag.parentIdTag.length > MAX_ID_TAG)) {
    problems.push('parentIdTag must be 1 to 20 characters');
  }
  if (tag.expiresAt !== null && !Number.isSafeInteger(tag.expiresAt)) problems.push('expiresAt must be epoch ms');
  return problems;
}

export function createIdTagRegistry(deps: { readonly idTags: IdTagStore; readonly clock: Clock }): IdTagRegistry {
  const { idTags, clock } = deps;
  return {
    async put(tag) {
      const problems = validateIdTag(tag);
      if (problems.length > 0) return fail('invalid', ...problems);
      const stored = {
        ...tag,
        idTag: normalise(tag.idTag),
        parentIdTag: tag.parentIdTag && normalise(tag.parentIdTag),
      };
      await idTags.upsert(stored);
      return ok(stored);
    },
    get: (idTag) => idTags.get(normalise(idTag)),
    list: () => idTags.list(),
    remove: (idTag) => idTags.remove(normalise(idTag)),
    async authorize(idTag) {
      const tag = await idTags.get(normalise(idTag));
      const status = authorizeTag(tag, clock.now());
      return {
        status,
        ...(tag?.expiresAt != null ? { expiryDate: new Date(tag.expiresAt).toISOString() } : {}),
        ...(tag?.parentIdTag != null ? { parentIdTag: tag.parentIdTag } : {}),
      };
    },
  };
}
