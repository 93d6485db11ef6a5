import Placeholder from '../../../app/Placeholder';

/** Stub: this screen of the store app is being built (replace this file). */
export default function TaskPage() {
  return <Placeholder area="store" />;
}
