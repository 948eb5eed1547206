import { describe, expect, it } from 'vitest';
import { createProvider, providerFactories } from '../../src/providers/registry.ts';
import { deploymentFor, targetFor } from './azure-fixtures.ts';

describe('createProvider', () => {
  it('has a factory for every API kind', () => {
    expect(Object.keys(providerFactories).sort()).toEqual(['chat', 'responses']);
  });

  it('builds a provider for the deployment without touching the network', () => {
    const deployment = deploymentFor('http://127.0.0.1:9/openai/v1/');
    const provider = createProvider(targetFor('responses', deployment), deployment, { env: {} });
    expect(provider.deploymentId).toBe('target/dep1');
  });
});
