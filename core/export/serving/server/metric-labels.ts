/**
 * The label arrays of the serving metrics, made once, frozen, and passed again on every request:
 * the registry joins a frozen array into its series key only once (metrics.ts).
 */
import type { LoadedModel } from './model.ts';

type Mode = 'answered' | 'shadow';

export class MetricLabels {
  private readonly byModel = new Map<LoadedModel, { model: readonly string[]; answered: readonly string[]; shadow: readonly string[] }>();
  private readonly byModeLabels = new Map<readonly string[], Map<string | number, readonly string[]>>();
  private readonly byRoute = new Map<string, { route: readonly string[]; byStatus: Map<number, readonly string[]> }>();

  private of(m: LoadedModel): { model: readonly string[]; answered: readonly string[]; shadow: readonly string[] } {
    let labels = this.byModel.get(m);
    if (!labels) {
      const model = Object.freeze([m.spec.name, m.spec.version, m.spec.role]);
      this.byModel.set(m, (labels = { model, answered: Object.freeze([...model, 'answered']), shadow: Object.freeze([...model, 'shadow']) }));
    }
    return labels;
  }

  /** [name, version, role] */
  model(m: LoadedModel): readonly string[] {
    return this.of(m).model;
  }

  /** [name, version, role, mode] */
  mode(m: LoadedModel, mode: Mode): readonly string[] {
    return this.of(m)[mode];
  }

  /** [name, version, role, mode, class]: classes and cluster ids are few. */
  modeClass(m: LoadedModel, mode: Mode, label: string | number): readonly string[] {
    const base = this.mode(m, mode);
    let byClass = this.byModeLabels.get(base);
    if (!byClass) this.byModeLabels.set(base, (byClass = new Map()));
    let labels = byClass.get(label);
    if (!labels) byClass.set(label, (labels = Object.freeze([...base, String(label)])));
    return labels;
  }

  /** [route] and [route, status] for the HTTP metrics: the routes are the table's, the statuses few. */
  http(route: string, status: number): { route: readonly string[]; routeStatus: readonly string[] } {
    let r = this.byRoute.get(route);
    if (!r) this.byRoute.set(route, (r = { route: Object.freeze([route]), byStatus: new Map() }));
    let routeStatus = r.byStatus.get(status);
    if (!routeStatus) r.byStatus.set(status, (routeStatus = Object.freeze([route, String(status)])));
    return { route: r.route, routeStatus };
  }
}
