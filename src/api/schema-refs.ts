// References to the shared schemas each route module registers with addSchema; @fastify/swagger
// turns them into components named by their $id.

export const ref = (id: string) => ({ $ref: `${id}#` });

export const arrayOf = (id: string) => ({ type: 'array', items: ref(id) });

/** `{ [key]: [...] }`: lists come wrapped, so that fields can be added beside them later. */
export const listOf = (key: string, id: string, description: string) => ({
  description,
  type: 'object',
  required: [key],
  properties: { [key]: arrayOf(id) },
});
