// Helpers the keyboard tests run inside the page. Kept in one file so each check reads as a sentence.
window.sbKeyboard = {
  // Every control a mouse user can use: links, form fields, buttons, disclosure summaries,
  // abbreviations (expanded on focus), and labels that work as buttons (the pointer shows it).
  controls() {
    const selector = "a[href], button, input, select, textarea, summary, abbr, [tabindex], label[for]";
    return [...document.querySelectorAll(selector)].filter((el) => {
      if (el.matches("input[type=checkbox].md-toggle, input[type=hidden]")) return false;
      if (el.matches("abbr") && !el.getAttribute("aria-describedby") && !el.title) return false;
      if (el.matches("label") && getComputedStyle(el).cursor !== "pointer") return false;
      // Not Tab stops by design, each tested on its own in test_search.py and test_phone.py:
      // the search dialog's results and Clear button (arrow keys, Escape), the magnifier inside
      // the box (the box is the stop), and the menu's title (Escape closes the menu).
      if (el.closest(".md-search__output, .md-search__options")) return false;
      if (el.matches("label.md-search__icon, label.md-search__overlay, .md-nav--primary > label.md-nav__title")) return false;
      if (el.closest("[inert], [hidden], [aria-hidden=true]")) return false;
      const box = el.getBoundingClientRect();
      return box.width > 0 && box.height > 0 && el.checkVisibility({visibilityProperty: true, opacityProperty: true});
    });
  },
  describe(el) {
    const text = (el.getAttribute("aria-label") || el.textContent || "").trim().replace(/\s+/g, " ").slice(0, 40);
    return `${el.tagName.toLowerCase()}${el.id ? "#" + el.id : ""}${el.className && typeof el.className === "string" ? "." + el.className.trim().split(/\s+/).join(".") : ""} "${text}"`;
  },
  tag() {
    this.controls().forEach((el, i) => el.setAttribute("data-sb-control", i));
  },
  // Where focus is now, and whether it can be seen: an outline of 2px or more, or a box shadow.
  focused() {
    const el = document.activeElement;
    if (!el || el === document.body) return null;
    const style = getComputedStyle(el);
    const outline = style.outlineStyle !== "none" && parseFloat(style.outlineWidth) >= 2;
    const shadow = style.boxShadow && style.boxShadow !== "none";
    return {id: el.getAttribute("data-sb-control"), name: this.describe(el), visible: outline || shadow};
  },
};
