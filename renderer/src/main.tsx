import { createRoot } from 'react-dom/client'

createRoot(document.getElementById('root')!).render(<div>客源</div>)
