// Writes one TypeScript file per dashboard that declares the dashboard JSON with @grafana/schema's types, so that
// `tsc --noEmit` rejects unknown keys and values of the wrong type. Used by typecheck.sh (which .ci/run runs); not part of `dotnet test`.
//
//   node generate.mjs DASHBOARD_DIR OUT_DIR
//
// - The whole dashboard is checked as a Dashboard (panels as Panel/RowPanel, templating, annotations...).
// - Each panel's `options` and `fieldConfig.defaults.custom` are also checked against the panel plugin's own
//   Options / FieldConfig types (stat, gauge, timeseries, table), all fields optional: Grafana fills defaults.
// - String enums (FieldColorModeId, ThresholdsMode...) accept their string values, as JSON holds them.
import { readFileSync, readdirSync, writeFileSync, mkdirSync } from 'node:fs';
import { join, basename } from 'node:path';

const [dashboardDir, outDir] = process.argv.slice(2);
if (!dashboardDir || !outDir) {
  console.error('usage: node generate.mjs DASHBOARD_DIR OUT_DIR');
  process.exit(2);
}

const panelTypes = {
  stat: 'StatPanelCfg',
  gauge: 'GaugePanelCfg',
  timeseries: 'TimeSeriesPanelCfg',
  table: 'TablePanelCfg',
};
// Panel plugins whose types module also has a FieldConfig (the `custom` field options).
const withFieldConfig = new Set(['TimeSeriesPanelCfg', 'TablePanelCfg']);
const pluginDir = { StatPanelCfg: 'stat', GaugePanelCfg: 'gauge', TimeSeriesPanelCfg: 'timeseries', TablePanelCfg: 'table' };

mkdirSync(outDir, { recursive: true });
const files = readdirSync(dashboardDir).filter((f) => f.endsWith('.json')).sort();
for (const file of files) {
  const dashboard = JSON.parse(readFileSync(join(dashboardDir, file), 'utf8'));
  const lines = [];
  lines.push("import type { Dashboard } from '@grafana/schema';");
  for (const [name, dir] of Object.entries(pluginDir)) {
    const fieldConfig = withFieldConfig.has(name) ? `, FieldConfig as ${name}FieldConfig` : '';
    lines.push(
      `import type { Options as ${name}Options${fieldConfig} } from '@grafana/schema/dist/esm/raw/composable/${dir}/panelcfg/x/${name}_types.gen';`,
    );
  }
  lines.push('');
  lines.push('// A string enum accepts its values; objects and arrays recurse.');
  lines.push('type Lit<T> = T extends string ? `${T}` : T extends Array<infer U> ? Array<Lit<U>> : T extends object ? { [K in keyof T]: Lit<T[K]> } : T;');
  lines.push('type PartialLit<T> = T extends string ? `${T}` : T extends Array<infer U> ? Array<PartialLit<U>> : T extends object ? { [K in keyof T]?: PartialLit<T[K]> } : T;');
  lines.push('');
  lines.push(`export const dashboard: Lit<Dashboard> = ${JSON.stringify(dashboard, null, 2)};`);

  const panels = [];
  for (const panel of dashboard.panels ?? []) {
    panels.push(panel);
    panels.push(...(panel.panels ?? []));
  }
  for (const panel of panels) {
    const cfg = panelTypes[panel.type];
    if (panel.type === 'row') continue;
    if (!cfg) {
      console.error(`${file}: panel ${panel.id} has type ${panel.type}, which this check does not know`);
      process.exit(1);
    }
    lines.push('');
    lines.push(`// panel ${panel.id}: ${panel.title}`);
    lines.push(`export const panel${panel.id}Options: PartialLit<${cfg}Options> = ${JSON.stringify(panel.options ?? {}, null, 2)};`);
    const custom = panel.fieldConfig?.defaults?.custom;
    if (custom !== undefined) {
      if (!withFieldConfig.has(cfg)) {
        console.error(`${file}: panel ${panel.id} (${panel.type}) sets fieldConfig.defaults.custom, which this check does not type`);
        process.exit(1);
      }
      lines.push(`export const panel${panel.id}Custom: PartialLit<${cfg}FieldConfig> = ${JSON.stringify(custom, null, 2)};`);
    }
  }
  writeFileSync(join(outDir, basename(file, '.json') + '.ts'), lines.join('\n') + '\n');
  console.log(`generated ${basename(file, '.json')}.ts (${panels.length} panels)`);
}
