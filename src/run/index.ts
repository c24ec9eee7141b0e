export * from './context.ts';
export * from './document-steps.ts';
export * from './fold.ts';
export * from './identity.ts';
export * from './layout.ts';
export * from './plan.ts';
export * from './sources.ts';
