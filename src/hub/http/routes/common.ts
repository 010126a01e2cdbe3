/** Pieces every route module shares: the service type, error responses for the OpenAPI document. */
import { problemSchema } from '../schemas';

export const problemResponses = {
  400: problemSchema,
  401: problemSchema,
  403: problemSchema,
  404: problemSchema,
  409: problemSchema,
};

export const bearerSecurity = [{ bearerAuth: [] }];
