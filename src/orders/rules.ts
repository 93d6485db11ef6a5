/**
 * The order lifecycle as ONE transition table, checked in one place (`decide`). Pure: the current
 * state and a command in, the next state or a refusal out (Emmett's decider shape).
 *
 *   payment_pending ──authorise──▶ placed (the payment is authorised; `order.placed` follows)
 *         └──cancel (declined, or never answered)──▶ cancelled
 *   placed ──confirm──▶ confirmed ──fulfil──▶ partially_fulfilled ──fulfil──▶ fulfilled ──complete──▶ completed
 *     │                    │                                  ▲ (fulfil may jump straight to fulfilled)
 *     └──────cancel────────┴──▶ cancelled
 *
 * A hold (fraud review, payment check, customer request) is a flag beside the status: while held
 * only `release` and `cancel` are admitted. Cancelling after fulfilment has started is refused:
 * that is a return.
 */
export const ORDER_STATUSES = [
  'payment_pending',
  'placed',
  'confirmed',
  'partially_fulfilled',
  'fulfilled',
  'completed',
  'cancelled',
] as const;
export type OrderStatus = (typeof ORDER_STATUSES)[number];

export type OrderCommand =
  | { type: 'authorise' }
  | { type: 'confirm' }
  | { type: 'hold'; reason: string }
  | { type: 'release' }
  | { type: 'fulfil'; lines: { line_id: string; quantity: number }[] }
  | { type: 'complete' }
  | { type: 'cancel'; reason?: string }
  /** Cancels units of one line that fulfilment has not started on (the caller checked that). */
  | { type: 'cancel_line'; line_id: string; quantity: number; reason?: string };
export type CommandType = OrderCommand['type'];

export interface OrderState {
  status: OrderStatus;
  hold_reason: string | null;
  lines: { id: string; quantity: number; fulfilled_quantity: number }[];
}

/** Which commands each status admits. `fulfil` targets are computed from the quantities. */
export const TRANSITIONS: Record<OrderStatus, readonly CommandType[]> = {
  payment_pending: ['authorise', 'cancel'],
  placed: ['confirm', 'hold', 'release', 'cancel', 'cancel_line'],
  confirmed: ['fulfil', 'hold', 'release', 'cancel', 'cancel_line'],
  partially_fulfilled: ['fulfil', 'hold', 'release', 'cancel_line'],
  fulfilled: ['complete'],
  completed: [],
  cancelled: [],
};

/**
 * The commands whose decision reads the lines (their quantities). Every other command decides on the
 * status and hold alone, so `apply` does not read the lines for it (a confirm or a cancel is one
 * statement fewer).
 */
export const LINE_COMMANDS: readonly CommandType[] = ['fulfil', 'cancel_line'];
export const decidesOnLines = (type: CommandType): boolean => LINE_COMMANDS.includes(type);

export type Decision = { ok: true; next: OrderState } | { ok: false; reason: string; field?: string };

const refuse = (reason: string, field?: string): Decision => ({ ok: false, reason, ...(field ? { field } : {}) });

export function decide(state: OrderState, cmd: OrderCommand): Decision {
  if (!TRANSITIONS[state.status].includes(cmd.type))
    return refuse(`an order that is ${state.status} cannot ${cmd.type}`);
  if (state.hold_reason !== null && cmd.type !== 'release' && cmd.type !== 'cancel' && cmd.type !== 'cancel_line') {
    return refuse(`the order is on hold (${state.hold_reason}); release it first`);
  }
  switch (cmd.type) {
    case 'authorise':
      return { ok: true, next: { ...state, status: 'placed' } };
    case 'confirm':
      return { ok: true, next: { ...state, status: 'confirmed' } };
    case 'complete':
      return { ok: true, next: { ...state, status: 'completed' } };
    case 'cancel':
      return { ok: true, next: { ...state, status: 'cancelled', hold_reason: null } };
    case 'hold':
      if (state.hold_reason !== null) return refuse('the order is already on hold');
      if (!cmd.reason.trim()) return refuse('a hold needs a reason', 'reason');
      return { ok: true, next: { ...state, hold_reason: cmd.reason } };
    case 'release':
      if (state.hold_reason === null) return refuse('the order is not on hold');
      return { ok: true, next: { ...state, hold_reason: null } };
    case 'fulfil':
      return fulfil(state, cmd.lines);
    case 'cancel_line':
      return cancelLine(state, cmd.line_id, cmd.quantity);
  }
}

/**
 * Fewer units of one line: the line keeps its fulfilled units. No live unit left → cancelled;
 * every remaining unit already fulfilled → fulfilled (a partially fulfilled order whose rest is cancelled).
 */
function cancelLine(state: OrderState, lineId: string, quantity: number): Decision {
  const line = state.lines.find((l) => l.id === lineId);
  if (!line) return refuse(`line ${lineId} is not in this order`, 'line_id');
  if (!Number.isInteger(quantity) || quantity <= 0) return refuse('quantity must be a positive integer', 'quantity');
  const open = line.quantity - line.fulfilled_quantity;
  if (quantity > open)
    return refuse(`line ${lineId} has ${open} unit(s) not yet fulfilled; cannot cancel ${quantity}`, 'quantity');
  const lines = state.lines.map((l) => (l.id === lineId ? { ...l, quantity: l.quantity - quantity } : { ...l }));
  const live = lines.reduce((n, l) => n + l.quantity, 0);
  const fulfilled = lines.reduce((n, l) => n + l.fulfilled_quantity, 0);
  const status: OrderStatus =
    live === 0 ? 'cancelled' : fulfilled === live ? 'fulfilled' : fulfilled > 0 ? 'partially_fulfilled' : state.status;
  return { ok: true, next: { ...state, lines, status, hold_reason: live === 0 ? null : state.hold_reason } };
}

/** What cancelling `quantity` of a line takes off its money (tax-inclusive, minor units; the rest keeps the remainder). */
export function lineCancelAmounts(
  line: { quantity: number; unit_price: number; discount: number; total: number; tax_amount: number },
  quantity: number,
): { subtotal: number; discount: number; total: number; tax: number } {
  const keep = line.quantity - quantity;
  // The kept units keep their proportional share (half up); the cancelled units take the exact rest,
  // so cancelling a line unit by unit adds up to the line's own figures.
  const share = (v: number) => v - Math.round((v * keep) / line.quantity);
  return {
    subtotal: line.unit_price * quantity,
    discount: share(line.discount),
    total: share(line.total),
    tax: share(line.tax_amount),
  };
}

function fulfil(state: OrderState, lines: { line_id: string; quantity: number }[]): Decision {
  if (lines.length === 0) return refuse('name at least one line to fulfil', 'lines');
  const next = state.lines.map((l) => ({ ...l }));
  for (const [i, req] of lines.entries()) {
    const line = next.find((l) => l.id === req.line_id);
    if (!line) return refuse(`line ${req.line_id} is not in this order`, `lines/${i}/line_id`);
    if (!Number.isInteger(req.quantity) || req.quantity <= 0)
      return refuse('quantity must be a positive integer', `lines/${i}/quantity`);
    if (line.fulfilled_quantity + req.quantity > line.quantity) {
      return refuse(
        `line ${line.id}: ${req.quantity} more would exceed the ${line.quantity} ordered (${line.fulfilled_quantity} already fulfilled)`,
        `lines/${i}/quantity`,
      );
    }
    line.fulfilled_quantity += req.quantity;
  }
  const done = next.every((l) => l.fulfilled_quantity === l.quantity);
  return { ok: true, next: { ...state, lines: next, status: done ? 'fulfilled' : 'partially_fulfilled' } };
}

/** Can the order still be cancelled (stock released, payment voided)? */
export const cancellable = (s: OrderStatus): boolean => TRANSITIONS[s].includes('cancel');
