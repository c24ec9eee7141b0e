/** The report's inline stylesheet: no fonts, images or URLs, so the file works offline. */
export const REPORT_STYLE = `
:root { color-scheme: light; }
body { font-family: system-ui, -apple-system, "Segoe UI", Roboto, Helvetica, Arial, sans-serif;
  margin: 0 auto; max-width: 960px; padding: 1.5rem; line-height: 1.5; color: #1f2328; background: #fff; }
h1 { margin-bottom: 0.25rem; }
h2 { border-bottom: 1px solid #d0d7de; padding-bottom: 0.25rem; margin-top: 2.5rem; }
h3 { margin-top: 1.75rem; }
h4 { margin-bottom: 0.25rem; }
nav ul { display: flex; flex-wrap: wrap; gap: 0.25rem 1rem; list-style: none; padding: 0; }
table { border-collapse: collapse; margin: 0.75rem 0; }
th, td { border: 1px solid #d0d7de; padding: 0.3rem 0.6rem; text-align: left; vertical-align: top; }
th { background: #f6f8fa; }
blockquote { margin: 0.4rem 0; padding: 0.1rem 0.8rem; border-left: 4px solid #d0d7de; color: #57606a; }
blockquote p { margin: 0.2rem 0; }
.meta { color: #57606a; }
.card { border: 1px solid #d0d7de; border-radius: 6px; padding: 0.25rem 1rem 0.75rem; margin: 1rem 0; }
.not-stated { color: #8c959f; font-style: italic; }
.note { color: #57606a; font-size: 0.9rem; }
figure { margin: 1rem 0; overflow-x: auto; }
figure svg { max-width: 100%; height: auto; }
code { background: #f6f8fa; padding: 0 0.25rem; border-radius: 4px; word-break: break-all; }
`;
