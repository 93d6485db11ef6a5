import { Type } from '@sinclair/typebox';
import { defineEvents, type PayloadsOf } from '../platform/events/types.js';

const Ref = (description: string) => Type.Object({ id: Type.String(), code: Type.String() }, { description });

/** The events the network (channels and locations) emits (see docs/events.md). */
export const networkEvents = defineEvents({
  'channel.created': Ref('A sales channel was created.'),
  'channel.updated': Ref('A channel changed (name, stock policy, active…).'),
  'location.created': Ref('A store, warehouse or pickup point was created.'),
  'location.updated': Ref('A location changed.'),
});

declare module '../platform/events/types.js' {
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type -- declaration merging adds the members
  interface EventMap extends PayloadsOf<typeof networkEvents> {}
}
