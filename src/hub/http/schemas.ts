/**
 * Request and response schemas of the hub API (zod 4). They validate input at the edge, reject unknown
 * fields (strict objects), and generate the OpenAPI 3.1 document.
 */
import { z } from 'zod';
import { agreementActions, agreementStatuses } from '../../core/agreements/agreement';
import { userRoles } from '../../core/auth/principal';
import {
  accessModes,
  itemTypes,
  resourceFormats,
  sharingTypes,
  subjectKinds,
  updateCycles,
} from '../../core/catalog/resource';
import { keyAlgorithms, memberCodePattern, memberRoles } from '../../core/members/member';

export const localDate = z.iso.date().describe('YYYY-MM-DD (China Standard Time)');
const nonEmpty = (max: number) => z.string().trim().min(1).max(max);

export const contactSchema = z.strictObject({
  person: z.string().max(64),
  phone: z.string().max(32),
  email: z.string().max(128),
});

export const publicKeySchema = z.object({
  id: z.string(),
  algorithm: z.enum(keyAlgorithms),
  publicKey: z.string(),
  addedAt: z.string(),
});

export const memberSchema = z
  .object({
    code: z.string(),
    name: z.string(),
    nameEn: z.string().nullable(),
    role: z.enum(memberRoles),
    contact: z.object({ person: z.string(), phone: z.string(), email: z.string() }),
    publicKeys: z.array(publicKeySchema),
    nodeUrl: z.string().nullable(),
    createdAt: z.string(),
  })
  .meta({ id: 'Member' });

export const nodeUrlSchema = z.strictObject({
  url: z.url({ protocol: /^https?$/ }).max(200),
  /** The node's cryptographic suite; a node of another suite than the city's is refused (409). */
  crypto: z.enum(['intl', 'gm']).optional(),
});

export const newMemberSchema = z.strictObject({
  code: z.string().regex(memberCodePattern),
  name: nonEmpty(128),
  nameEn: nonEmpty(128).optional(),
  role: z.enum(memberRoles),
  contact: contactSchema,
});

export const memberPatchSchema = z.strictObject({
  name: nonEmpty(128).optional(),
  nameEn: nonEmpty(128).nullable().optional(),
  contact: contactSchema.optional(),
});

export const newKeySchema = z.strictObject({ algorithm: z.enum(keyAlgorithms), publicKey: nonEmpty(256) });

export const dataItemSchema = z.strictObject({
  name: z.string().regex(/^[a-z][a-z0-9_]{0,63}$/),
  title: nonEmpty(64),
  type: z.enum(itemTypes),
  description: z.string().max(500),
  sensitivity: z.union([z.literal(1), z.literal(2), z.literal(3), z.literal(4)]),
  subjectKey: z.enum(subjectKinds).nullable(),
  values: z.array(nonEmpty(64)).max(100).optional(),
});

export const resourceDraftSchema = z.strictObject({
  code: z
    .string()
    .regex(/^[a-z][a-z0-9_]*\.[a-z][a-z0-9_]*$/)
    .max(64),
  name: nonEmpty(128),
  category: nonEmpty(128),
  summary: z.string().max(2000),
  format: z.enum(resourceFormats),
  items: z.array(dataItemSchema).min(1).max(500),
  sharingType: z.enum(sharingTypes),
  sharingConditions: z.string().max(2000).nullable(),
  legalBasis: z.string().max(2000).nullable(),
  accessModes: z.array(z.enum(accessModes)).max(4),
  requiresSuperiorApproval: z.boolean(),
  updateCycle: z.enum(updateCycles),
  publishedAt: localDate,
  relatedResources: z.array(z.string().max(64)).max(50),
});

export const resourceSchema = z
  .object({
    code: z.string(),
    name: z.string(),
    providerCode: z.string(),
    providerName: z.string(),
    category: z.string(),
    summary: z.string(),
    format: z.enum(resourceFormats),
    items: z.array(
      z.object({
        name: z.string(),
        title: z.string(),
        type: z.enum(itemTypes),
        description: z.string(),
        sensitivity: z.number().int(),
        subjectKey: z.enum(subjectKinds).nullable(),
        values: z.array(z.string()).optional(),
      }),
    ),
    sharingType: z.enum(sharingTypes),
    sharingConditions: z.string().nullable(),
    legalBasis: z.string().nullable(),
    accessModes: z.array(z.enum(accessModes)),
    requiresSuperiorApproval: z.boolean(),
    updateCycle: z.enum(updateCycles),
    publishedAt: z.string(),
    relatedResources: z.array(z.string()),
  })
  .meta({ id: 'Resource' });

const pageQuery = {
  page: z.coerce.number().int().min(1).max(100_000).default(1),
  pageSize: z.coerce.number().int().min(1).max(200).default(20),
};

export const catalogQuerySchema = z.strictObject({
  provider: z.string().max(32).optional(),
  sharingType: z.enum(sharingTypes).optional(),
  mode: z.enum(accessModes).optional(),
  q: z.string().max(100).optional(),
  ...pageQuery,
});

const termsSchema = z.object({
  items: z.array(z.string()),
  modes: z.array(z.enum(accessModes)),
  predicates: z.array(z.unknown()).optional(),
  validFrom: z.string(),
  validTo: z.string(),
  rateLimitPerMinute: z.number().int(),
});

export const applicationSchema = z.strictObject({
  resourceCode: z.string().max(64),
  purpose: nonEmpty(500),
  legalBasis: nonEmpty(500),
  items: z.array(z.string().max(64)).min(1).max(500),
  modes: z.array(z.enum(accessModes)).min(1).max(4),
  // Verify questions (predicate templates): their shape and items are checked by the domain.
  predicates: z.array(z.unknown()).max(32).optional(),
  validFrom: localDate,
  validTo: localDate,
  rateLimitPerMinute: z.number().int().min(1).max(1_000_000),
});

export const approvalSchema = z.strictObject({
  items: z.array(z.string().max(64)).max(500).optional(),
  modes: z.array(z.enum(accessModes)).max(4).optional(),
  validTo: localDate.optional(),
  rateLimitPerMinute: z.number().int().min(1).max(1_000_000).optional(),
  comment: z.string().max(1000).optional(),
});

// The reason is optional in the schema so that an empty one is the domain's REASON_REQUIRED, not a schema error.
export const reasonSchema = z.strictObject({ reason: z.string().max(1000).optional() });
export const commentSchema = z.strictObject({ comment: z.string().max(1000).optional() });
export const emptySchema = z.strictObject({}).optional();

export const agreementQuerySchema = z.strictObject({
  side: z.enum(['consumer', 'provider', 'all']).default('all'),
  status: z.enum(agreementStatuses).optional(),
  resource: z.string().max(64).optional(),
  ...pageQuery,
});

export const agreementSchema = z
  .object({
    id: z.string(),
    resourceCode: z.string(),
    resourceName: z.string(),
    consumerCode: z.string(),
    consumerName: z.string(),
    providerCode: z.string(),
    providerName: z.string(),
    purpose: z.string(),
    legalBasis: z.string(),
    requested: termsSchema,
    granted: termsSchema.nullable(),
    status: z.enum(agreementStatuses),
    appliedAt: z.string(),
    dueAt: z.string(),
    answeredAt: z.string().nullable(),
    sla: z.object({ workingDaysAllowed: z.number(), overdue: z.boolean(), workingDaysOverdue: z.number() }),
    history: z.array(
      z.object({
        at: z.string(),
        actorMember: z.string(),
        actorUser: z.string().nullable(),
        action: z.enum(agreementActions),
        fromStatus: z.enum(agreementStatuses).nullable(),
        toStatus: z.enum(agreementStatuses),
        reason: z.string().nullable(),
      }),
    ),
    version: z.number().int(),
  })
  .meta({ id: 'Agreement' });

export const pageOf = <T extends z.ZodType>(item: T) =>
  z.object({ items: z.array(item), total: z.number().int(), page: z.number().int(), pageSize: z.number().int() });

export const loginSchema = z.strictObject({ username: nonEmpty(64), password: z.string().min(1).max(256) });

export const passwordChangeSchema = z.strictObject({
  currentPassword: z.string().min(1).max(256),
  newPassword: z.string().min(1).max(256),
});

export const sessionUserSchema = z
  .object({
    username: z.string(),
    displayName: z.string(),
    memberCode: z.string(),
    memberName: z.string(),
    memberRole: z.enum(memberRoles),
    roles: z.array(z.enum(userRoles)),
    mustChangePassword: z.boolean(),
  })
  .meta({ id: 'SessionUser' });

export const overviewSchema = z
  .object({
    asOf: z.string(),
    slaWorkingDays: z.number(),
    totals: z.object({
      resourcesPublished: z.number(),
      applicationsReceived: z.number(),
      applicationsAnswered: z.number(),
      applicationsPending: z.number(),
      applicationsOverdue: z.number(),
      agreementsActive: z.number(),
    }),
    resourcesBySharingType: z.record(z.enum(sharingTypes), z.number()),
    agreementsByStatus: z.record(z.enum(agreementStatuses), z.number()),
    departments: z.array(
      z.object({
        code: z.string(),
        name: z.string(),
        role: z.enum(memberRoles),
        resourcesPublished: z.number(),
        applicationsReceived: z.number(),
        applicationsAnswered: z.number(),
        applicationsPending: z.number(),
        applicationsOverdue: z.number(),
        maxWorkingDaysOverdue: z.number(),
        medianAnswerHours: z.number().nullable(),
        agreementsActive: z.number(),
      }),
    ),
    overdue: z.array(
      z.object({
        agreementId: z.string(),
        resourceCode: z.string(),
        resourceName: z.string(),
        consumerCode: z.string(),
        providerCode: z.string(),
        appliedAt: z.string(),
        dueAt: z.string(),
        workingDaysOverdue: z.number(),
      }),
    ),
  })
  .meta({ id: 'Overview' });

export const codeParams = z.strictObject({ code: z.string().max(64) });
export const idParams = z.strictObject({ id: z.string().max(64) });

export const newUserSchema = z.strictObject({
  username: z.string().regex(/^[a-z][a-z0-9_.-]{1,63}$/),
  displayName: nonEmpty(64),
  password: z.string().min(10).max(256),
  roles: z.array(z.enum(userRoles)).min(1).max(5),
  /** The password is an initial one the administrator hands over: the user must choose their own first. */
  mustChangePassword: z.boolean().optional(),
});

export const userSchema = z
  .object({
    username: z.string(),
    displayName: z.string(),
    memberCode: z.string(),
    roles: z.array(z.enum(userRoles)),
    createdAt: z.string(),
  })
  .meta({ id: 'User' });

export const newTokenSchema = z.strictObject({ label: nonEmpty(64), roles: z.array(z.enum(userRoles)).min(1).max(5) });
