// What the console's browser tests share: signing in through the login form and moving
// through the side menu.
import type { Page } from 'playwright-core';

export const DEMO_PASSWORD = 'Demo2026!yiduan';

/** Fills the console's login form and waits until the shell shows the viewer's role. */
export async function signIn(page: Page, login: string, password = DEMO_PASSWORD): Promise<void> {
  await page.locator('#login').fill(login);
  await page.locator('#password').fill(password);
  await page.locator('button[type=submit]').click();
  await page.locator('[data-testid=current-role]').waitFor();
}

/**
 * Opens a screen from the side menu. The menu is taller than the window and its submenus
 * animate: on a busy machine a pointer click can land while an item is still moving, so fall
 * back to a DOM click on the same item (the menu's own handler navigates either way).
 */
export async function nav(page: Page, path: string): Promise<void> {
  const item = page.locator(`[data-nav="${path}"]`);
  await item.scrollIntoViewIfNeeded();
  await item.click({ timeout: 5_000 }).catch(() => item.evaluate((el) => (el as HTMLElement).click()));
  await page.waitForURL(`**${path}`);
}
