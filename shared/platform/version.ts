import packageJson from '../../package.json' with { type: 'json' };

/** The platform's release, from package.json. */
export const platformVersion: string = packageJson.version;
