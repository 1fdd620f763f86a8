// The companies module's public surface for other modules.
export {};
