import { labelsOf } from '../../src/core';

describe('labelsOf: an object\'s labels, read without trusting them', () => {
  test('the labels of a well-formed object', () => {
    expect(labelsOf({ metadata: { labels: { 'spark-role': 'driver' } } })).toEqual({ 'spark-role': 'driver' });
  });

  test.each([
    ['no labels', {}],
    ['null', { labels: null }],
    ['a list', { labels: ['spark-role'] }],
    ['a string', { labels: 'spark-role=driver' }],
  ])('none for %s', (_, metadata) => {
    expect(labelsOf({ metadata })).toEqual({});
  });
});
