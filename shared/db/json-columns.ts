import type * as z from '../zod';

/**
 * A json/jsonb column's value, checked against the schema of what may be stored in it. pg
 * parses jsonb; kysely-data-api parses it when the Data API names the column's type and hands
 * over the text otherwise, so text is parsed here (a column holding a bare JSON string is
 * therefore not for this). A value the schema refuses throws: widen the schema for old shapes.
 *
 * @example fromJsonColumn(fundingPlanColumn, row.funding_plan)
 */
export function fromJsonColumn<S extends z.ZodMiniType>(schema: S, value: unknown): z.output<S> {
  return schema.parse(jsonColumnValue(value));
}

/**
 * A json/jsonb column's value as pg hands it over, whichever driver read it (see fromJsonColumn
 * for why text is parsed); unchecked: prefer fromJsonColumn where a schema describes the column.
 *
 * @example jsonColumnValue('{"a":1}') // { a: 1 }, as pg would have returned it
 */
export function jsonColumnValue(value: unknown): unknown {
  return typeof value === 'string' ? JSON.parse(value) : value;
}
