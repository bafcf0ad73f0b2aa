import { showNotice, useNotice } from "./pageNotice";

/** The notice about the page's address (a share link that did not open), dismissable. */
export function PageNotice() {
  const notice = useNotice();
  if (!notice) return null;
  return (
    <div
      className={`page-notice notice-${notice.kind}`}
      role={notice.kind === "error" ? "alert" : "status"}
      data-testid="page-notice"
    >
      <p>{notice.text}</p>
      <button
        type="button"
        className="button"
        onClick={() => showNotice(null)}
        aria-label="Dismiss this notice"
      >
        ×
      </button>
    </div>
  );
}
