// The participation module's public surface for other modules.
export {};
