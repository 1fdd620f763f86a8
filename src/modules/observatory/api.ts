// The observatory module's public surface for other modules.
export {};
