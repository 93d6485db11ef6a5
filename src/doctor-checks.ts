import { platformChecks, type DoctorCheck } from './platform/doctor.js';

/** Every module's invariant checks, in the order `omnia doctor` runs them. Add a module's here. */
export const doctorChecks: DoctorCheck[] = [...platformChecks];
