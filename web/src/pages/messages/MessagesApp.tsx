import Placeholder from '../../app/Placeholder';

/** Stub: this area is being built (replace this file). */
export default function MessagesApp() {
  return <Placeholder area="messages" />;
}
