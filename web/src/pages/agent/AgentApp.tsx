import Placeholder from '../../app/Placeholder';

/** Stub: this area is being built (replace this file). */
export default function AgentApp() {
  return <Placeholder area="agent" />;
}
