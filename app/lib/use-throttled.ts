import { useEffect, useRef, useState } from "preact/hooks";

/**
 * `value`, changing at most once per `everyMs`; the latest value always
 * lands once the wait is over, so nothing is lost, only merged.
 */
export function useThrottled<T>(value: T, everyMs: number): T {
  const [shown, setShown] = useState(value);
  const shownAt = useRef(0);
  useEffect(() => {
    const wait = shownAt.current + everyMs - Date.now();
    const show = () => {
      shownAt.current = Date.now();
      setShown(value);
    };
    if (wait <= 0) {
      show();
      return;
    }
    const timer = setTimeout(show, wait);
    return () => clearTimeout(timer);
  }, [value, everyMs]);
  return shown;
}
