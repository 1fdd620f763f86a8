// The governance module's public surface for other modules.
export {};
