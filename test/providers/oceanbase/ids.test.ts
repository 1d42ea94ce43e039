import { describe, expect, it } from 'vitest';
import { BadInputError } from '../../../src/core/errors.js';
import { tenantPathSegment, validateTenantName } from '../../../src/providers/oceanbase/ids.js';

describe('tenant names', () => {
  it('accepts what OceanBase and obshell can create', () => {
    for (const name of ['sys', 'trade', 'T_1', '_x', '1tenant', 'a-b', 'a~b', 'a#b', 'a+b', 'x'.repeat(64)]) {
      expect(validateTenantName(name)).toBe(name);
    }
  });

  it('refuses anything else with BadInputError naming the argument', () => {
    for (const name of ['', ' ', 'a b', 'a/b', '..', 'a.b', 'a$b', 'a%2Fb', 'a?b', 'é', 'x'.repeat(65), null, 42]) {
      let caught: unknown;
      try {
        validateTenantName(name, 'name');
      } catch (err) {
        caught = err;
      }
      expect(caught, String(name)).toBeInstanceOf(BadInputError);
      expect((caught as BadInputError).argumentName).toBe('name');
    }
  });

  it('percent-encodes the path segment', () => {
    expect(tenantPathSegment('trade')).toBe('trade');
    expect(tenantPathSegment('a#b+c~d')).toBe('a%23b%2Bc~d');
  });
});
