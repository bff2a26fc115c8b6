// wit-c: C bindings (canonical-ABI glue) for one world of a WIT directory.
import { relative } from 'node:path';
import { Emitter, type Generated } from './emit.js';
import { Resolver } from './resolve.js';

export type { Generated } from './emit.js';

export interface GenerateOptions {
  /** The WIT directory: the package's *.wit files, dependencies under deps/. */
  wit: string;
  /** A world of that package. */
  world: string;
  /** Features whose `@unstable` items are included. */
  features?: string[];
}

export function generate(options: GenerateOptions): Generated {
  const resolver = new Resolver(options.wit, new Set(options.features ?? []));
  const world = resolver.world(options.world);
  return new Emitter(world, relative(process.cwd(), options.wit) || options.wit).generate();
}
