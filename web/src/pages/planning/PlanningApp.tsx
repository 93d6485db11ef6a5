import Placeholder from '../../app/Placeholder';

/** Stub: this area is being built (replace this file). */
export default function PlanningApp() {
  return <Placeholder area="planning" />;
}
