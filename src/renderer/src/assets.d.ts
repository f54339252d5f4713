// Vite turns an imported asset into its URL (or a data: URL when small).

declare module '*.svg' {
  const url: string
  export default url
}

declare module '*.css'
