// Vite turns `?inline` CSS imports into a minified string (see styles.ts).
declare module '*.css?inline' {
  const css: string;
  export default css;
}
