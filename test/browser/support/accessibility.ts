// Accessibility checks that can fail: every control of the task pane has a name a screen reader reads.
import type { Page } from 'playwright-core';

/** Descriptions of the pane's controls that have no accessible name; [] when all are labelled. */
export async function unlabelledControls(page: Page): Promise<string[]> {
  return page.locator('aside').evaluate((pane) => {
    const unnamed: string[] = [];
    for (const element of pane.querySelectorAll<HTMLElement>('input, select, textarea, button, [role="tab"]')) {
      const labels = (element as HTMLInputElement).labels;
      const labelledBy = element.getAttribute('aria-labelledby');
      const named =
        (labels !== null && labels !== undefined && [...labels].some((label) => (label.textContent ?? '').trim() !== '')) ||
        (element.getAttribute('aria-label') ?? '').trim() !== '' ||
        (labelledBy !== null && labelledBy.split(' ').some((id) => (document.getElementById(id)?.textContent ?? '').trim() !== '')) ||
        ((element.tagName === 'BUTTON' || element.getAttribute('role') === 'tab') && (element.textContent ?? '').trim() !== '');
      if (!named) unnamed.push(element.outerHTML.slice(0, 120));
    }
    return unnamed;
  });
}
