// The MSAL popup returns to the pane's own page with the answer in the URL. That page must hand the
// answer to the pane that opened it and render nothing else (MSAL 5 requires this step).

/** True when this page load is the popup coming back from Entra ID with an answer. */
export function isAuthRedirect(location: Location): boolean {
  const parameters = new URLSearchParams(location.hash.length > 1 ? location.hash.slice(1) : location.search);
  return parameters.has('state') && (parameters.has('code') || parameters.has('error'));
}

export async function completeAuthRedirect(): Promise<void> {
  const { broadcastResponseToMainFrame } = await import(/* webpackChunkName: "msal-redirect" */ '@azure/msal-browser/redirect-bridge');
  await broadcastResponseToMainFrame();
}
