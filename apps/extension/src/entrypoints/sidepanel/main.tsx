import { StrictMode } from 'react'
import { createRoot } from 'react-dom/client'
import { ConsoleApp } from '../../console/ui/console-app.tsx'
import '../../ui/styles.css'
import '../../console/ui/console.css'

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <ConsoleApp />
  </StrictMode>,
)
