import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import './bridge';
import { App } from './App';
import { DisplayScreen } from './display/DisplayScreen';
import './styles.css';

/** `#/display` is the customer display: its own screen, without the shell's navigation or admin data. */
const isDisplay = /^#\/?display\b/.test(window.location.hash);

const root = document.getElementById('root');
if (root) {
  createRoot(root).render(<StrictMode>{isDisplay ? <DisplayScreen /> : <App />}</StrictMode>);
}
