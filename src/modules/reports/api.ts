// The reports module's public surface for other modules.
export {};
