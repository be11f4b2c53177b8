/** The generator's Prometheus metrics, as text exposition format 0.0.4. Pure. */

export interface GeneratorCounters {
  replica: string;
  targetRate: number;
  actualRate: number;
  paused: boolean;
  ordersSent: number;
  sendErrors: number;
  controlApplied: number;
  controlInvalid: number;
  brokerUp: boolean;
}

type Metric = [name: string, type: 'counter' | 'gauge', help: string, value: number, labels?: Record<string, string>];

export function formatMetrics(c: GeneratorCounters): string {
  const metrics: Metric[] = [
    ['emart_generator_orders_sent_total', 'counter', 'Orders acknowledged by Kafka.', c.ordersSent],
    ['emart_generator_send_errors_total', 'counter', 'Failed attempts to send a batch of orders (each is retried).', c.sendErrors],
    ['emart_generator_control_commands_total', 'counter', 'Control commands received, by outcome.', c.controlApplied, { outcome: 'applied' }],
    ['emart_generator_control_commands_total', 'counter', 'Control commands received, by outcome.', c.controlInvalid, { outcome: 'invalid' }],
    ['emart_generator_target_rate', 'gauge', 'Target rate in orders per second.', c.targetRate],
    ['emart_generator_actual_rate', 'gauge', 'Measured rate of acknowledged orders per second.', c.actualRate],
    ['emart_generator_paused', 'gauge', '1 while the generator is paused.', c.paused ? 1 : 0],
    ['emart_generator_broker_up', 'gauge', '1 while Kafka acknowledges sends: 0 from a failed send, a timed-out request or a send unacknowledged for 3 s, until the next acknowledgement.', c.brokerUp ? 1 : 0],
  ];
  const lines: string[] = [];
  const described = new Set<string>();
  for (const [name, type, help, value, labels] of metrics) {
    if (!described.has(name)) {
      lines.push(`# HELP ${name} ${help}`, `# TYPE ${name} ${type}`);
      described.add(name);
    }
    lines.push(`${name}${formatLabels({ replica: c.replica, ...labels })} ${value}`);
  }
  return `${lines.join('\n')}\n`;
}

function formatLabels(labels: Record<string, string>): string {
  const escaped = Object.entries(labels).map(([k, v]) => `${k}="${v.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n')}"`);
  return `{${escaped.join(',')}}`;
}
