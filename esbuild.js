// Builds two bundles: the extension (Node, CommonJS, `vscode` external) and the chat webview (browser).
const esbuild = require('esbuild');
const fs = require('fs');
const path = require('path');

const production = process.argv.includes('--production');
const watch = process.argv.includes('--watch');

/** Prints errors in the shape the `$esbuild-watch` problem matcher reads. */
const problemMatcher = {
  name: 'esbuild-problem-matcher',
  setup(build) {
    build.onStart(() => console.log('[watch] build started'));
    build.onEnd((result) => {
      for (const { text, location } of result.errors) {
        console.error(`✘ [ERROR] ${text}`);
        if (location) console.error(`    ${location.file}:${location.line}:${location.column}:`);
      }
      console.log('[watch] build finished');
    });
  },
};

/** Codicons are shipped as their own font + CSS, referenced by the webview through asWebviewUri. */
function copyCodicons() {
  const from = path.join(__dirname, 'node_modules', '@vscode', 'codicons', 'dist');
  const to = path.join(__dirname, 'dist', 'codicons');
  fs.mkdirSync(to, { recursive: true });
  for (const file of ['codicon.css', 'codicon.ttf']) fs.copyFileSync(path.join(from, file), path.join(to, file));
}

/**
 * Keeps dist/extension.js small (and activation quick): `undici` resolves to the slim entry that
 * holds only what the core uses; its FormData body support (never used: bodies are JSON strings)
 * is left out; and the two llhttp WebAssembly blobs (~145 KB of base64) stay separate files in
 * dist/, which undici requires lazily on the first connection.
 */
const slimUndici = {
  name: 'slim-undici',
  setup(build) {
    build.onResolve({ filter: /^undici$/ }, () => ({ path: path.join(__dirname, 'src', 'extension', 'bundle', 'undici.cjs') }));
    build.onResolve({ filter: /web[\\/]fetch[\\/]body(\.js)?$/ }, (args) =>
      args.importer.includes(`${path.sep}undici${path.sep}`) ? { path: 'undici-formdata', namespace: 'slim-undici' } : undefined,
    );
    build.onLoad({ filter: /.*/, namespace: 'slim-undici' }, () => ({
      contents: "exports.extractBody = () => { throw new Error('FormData request bodies are not part of this bundle.'); };",
      loader: 'js',
    }));
    build.onResolve({ filter: /llhttp[\\/]llhttp(_simd)?-wasm\.js$/ }, (args) => ({ path: `./${path.basename(args.path)}`, external: true }));
  },
};

function copyLlhttp() {
  const from = path.join(__dirname, 'node_modules', 'undici', 'lib', 'llhttp');
  fs.mkdirSync(path.join(__dirname, 'dist'), { recursive: true });
  for (const file of ['llhttp-wasm.js', 'llhttp_simd-wasm.js']) fs.copyFileSync(path.join(from, file), path.join(__dirname, 'dist', file));
}

const common = {
  bundle: true,
  minify: production,
  sourcemap: production ? false : 'linked',
  sourcesContent: false,
  logLevel: 'warning',
  legalComments: production ? 'none' : 'inline',
  plugins: [problemMatcher],
};

async function main() {
  const contexts = await Promise.all([
    esbuild.context({
      ...common,
      entryPoints: { extension: 'src/extension/extension.ts' },
      outdir: 'dist',
      format: 'cjs',
      platform: 'node',
      target: 'node20',
      external: ['vscode'],
      plugins: [...common.plugins, slimUndici],
    }),
    esbuild.context({
      ...common,
      entryPoints: { webview: 'src/webview/main.ts' },
      outdir: 'dist',
      format: 'iife',
      platform: 'browser',
      target: 'chrome120',
      loader: { '.css': 'css' },
    }),
  ]);
  copyCodicons();
  copyLlhttp();
  if (watch) {
    await Promise.all(contexts.map((c) => c.watch()));
  } else {
    await Promise.all(contexts.map((c) => c.rebuild()));
    await Promise.all(contexts.map((c) => c.dispose()));
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
