import { useEffect, useState } from "preact/hooks";

const DARK = "(prefers-color-scheme: dark)";

/** The system's light or dark setting, following changes to it. */
export function useColorScheme(): "light" | "dark" {
  const query = matchMedia(DARK);
  const [dark, setDark] = useState(query.matches);
  useEffect(() => {
    const update = () => setDark(query.matches);
    query.addEventListener("change", update);
    return () => query.removeEventListener("change", update);
  }, []);
  return dark ? "dark" : "light";
}
