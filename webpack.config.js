// Builds the task pane: src/taskpane/index.tsx → dist/taskpane/taskpane.html + JS chunks.
// Office.js comes from Microsoft's CDN (AppSource requires it) unless OFFICE_JS=local (or
// `--env officeJs=local`), which copies the @microsoft/office-js copy next to the pane so the preview
// and the browser tests work with no network. The features load as separate chunks.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import CopyWebpackPlugin from 'copy-webpack-plugin';
import HtmlWebpackPlugin from 'html-webpack-plugin';
import CustomFunctionsMetadataPlugin from 'custom-functions-metadata-plugin';

const root = path.dirname(fileURLToPath(import.meta.url));
export const officeJsCdnUrl = 'https://appsforoffice.microsoft.com/lib/1/hosted/office.js';

export default (environment = {}, argv = {}) => {
  const production = (argv.mode ?? process.env.NODE_ENV ?? 'production') === 'production';
  const localOfficeJs = (environment.officeJs ?? process.env.OFFICE_JS) === 'local';
  const outputPath = path.resolve(environment.outputPath ?? process.env.TASKPANE_OUTPUT_DIR ?? path.join(root, 'dist/taskpane'));
  return {
    mode: production ? 'production' : 'development',
    context: root,
    // functions: Excel's custom functions (=AI.*); manifest.xml names functions.js and functions.json, so their names stay fixed.
    entry: { taskpane: './src/taskpane/index.tsx', functions: './src/functions/functions-page.ts' },
    output: {
      path: outputPath,
      filename: (pathData) => (pathData.chunk?.name === 'functions' ? 'functions.js' : production ? '[name].[contenthash:8].js' : '[name].js'),
      chunkFilename: production ? '[name].[contenthash:8].js' : '[name].js',
      publicPath: '',
      clean: true,
    },
    // No eval-based source maps: the server's Content-Security-Policy forbids eval, in development too.
    devtool: production ? 'source-map' : 'cheap-module-source-map',
    resolve: {
      extensions: ['.tsx', '.ts', '.js'],
      // Source imports name the emitted .js files (ESM rules); webpack finds the .ts/.tsx behind them.
      extensionAlias: { '.js': ['.ts', '.tsx', '.js'] },
    },
    module: {
      rules: [
        {
          test: /\.tsx?$/,
          exclude: /node_modules/,
          use: {
            loader: 'ts-loader',
            // Type checking is `npm run typecheck`; the bundle only needs transpiling.
            options: { transpileOnly: true, compilerOptions: { module: 'esnext', moduleResolution: 'bundler', noEmit: false, sourceMap: true } },
          },
        },
      ],
    },
    plugins: [
      new HtmlWebpackPlugin({
        template: './src/taskpane/taskpane.html',
        filename: 'taskpane.html',
        // The shared runtime (manifest.xml) runs the custom functions in the pane's page: it loads both.
        chunks: ['functions', 'taskpane'],
        officeJsUrl: localOfficeJs ? 'office-js/office.js' : officeJsCdnUrl,
      }),
      // functions.json (the formulas' names, help and parameters) from ai-functions.ts's JSDoc; the plugin also appends the CustomFunctions.associate calls.
      new CustomFunctionsMetadataPlugin({ output: 'functions.json', input: path.join(root, 'src/functions/ai-functions.ts') }),
      new CopyWebpackPlugin({
        patterns: [
          // The manifests point Office at /assets/icon-*.png on the same server as the pane.
          { from: 'assets/*.png', to: 'assets/[name][ext]' },
          { from: 'src/taskpane/taskpane.css', to: 'taskpane.css' },
          ...(localOfficeJs
            ? ['office.js', 'o15apptofilemappingtable.js'].map((file) => ({ from: `node_modules/@microsoft/office-js/dist/${file}`, to: `office-js/${file}` }))
            : []),
        ],
      }),
    ],
    optimization: {
      splitChunks: { chunks: 'async' },
    },
    performance: { hints: false },
    stats: 'errors-warnings',
  };
};
