import { render } from "preact";
import { App } from "./components/app.tsx";
import "./styles.css";

const root = document.getElementById("app");
if (root === null) throw new Error("index.html lost its #app element");
render(<App />, root);
